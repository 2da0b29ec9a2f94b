{% if cookiecutter.tests.enabled -%}
{% include "wdk/netioapi.h" %}{% endif -%}
