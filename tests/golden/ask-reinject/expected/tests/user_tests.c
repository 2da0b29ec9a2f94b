//
// user_tests.c - your tests of WoodgroveGuard's classify logic. This file
// is yours to edit; wfpgen wrote it as a starting point, with one example.
//
// Each test is a function listed in UserTests below. A SIM_LOADED test runs
// with the driver loaded; afterwards the simulation unloads it and fails the
// test on any leak or anything left registered. The API (tests/sim/include/sim.h):
//
//   SIM_TRAFFIC t = SimTraffic(FWPS_LAYER_...);  sample traffic for a layer:
//       TCP 10.0.0.1:49152 -> 10.0.0.2:443 (fd00::1 -> fd00::2 for IPv6)
//   t = SimCalloutTraffic(FWPS_LAYER_..., &XCalloutKey); the same, but only
//       callout X's filters match it (other callouts at the layer stay out)
//   t.remoteV4 = SimIPv4(192, 0, 2, 1);          change what the test is about:
//   t.remotePort, t.protocol, t.appId, t.direction, t.writeRight, ...
//   SIM_RESULT r = SimClassify(&t);              every callout filter at the layer runs
//   SIM_CHECK_ACTION(r.actionType, FWP_ACTION_BLOCK);
//   SIM_CHECK(r.classifyCount == 1);
//   UINT64 flow = SimFlowStart(&t);              flows: ALE_FLOW_ESTABLISHED, then
//   SimFlowClassify(flow, &t); SimFlowEnd(flow); classify with the flow's contexts
//   SimFilterAdd(...), SimBfeSetState(...), SimPoolBlocks(tag), SimFaultArm(n)
//
// Run them: cmake -S tests -B build && cmake --build build && ctest --test-dir build
// or build/driver_tests user (one test: build/driver_tests NAME).
//

#include "driver.h"
#include <sim.h>

//
// Example: a TCP connection from 10.0.0.1 to port 443, seen by ConnectV4
// at ALE_AUTH_CONNECT_V4. The generated classifyFn decides nothing yet, so the
// verdict is FWP_ACTION_PERMIT. When your logic blocks such connections, expect
// FWP_ACTION_BLOCK instead.
//
static void HttpsFromTenDotOne(void)
{
    SIM_TRAFFIC traffic = SimCalloutTraffic(FWPS_LAYER_ALE_AUTH_CONNECT_V4, &ConnectV4CalloutKey);
    SIM_RESULT result;

    traffic.protocol = IPPROTO_TCP;
    traffic.localV4 = SimIPv4(10, 0, 0, 1);
    traffic.remotePort = 443;

    result = SimClassify(&traffic);

    SIM_CHECK(result.classifyCount == 1);
    SIM_CHECK_ACTION(result.actionType, FWP_ACTION_PERMIT);
}

const SIM_TEST UserTests[] = {
    { "https_from_10_0_0_1", HttpsFromTenDotOne, SIM_LOADED },
    { NULL, NULL, SIM_UNLOADED },
};
