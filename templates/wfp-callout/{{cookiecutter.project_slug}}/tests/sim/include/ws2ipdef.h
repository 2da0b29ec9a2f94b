{% if cookiecutter.tests.enabled -%}
{% include "wdk/ws2ipdef.h" %}{% endif -%}
