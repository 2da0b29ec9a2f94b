{% if cookiecutter.tests.enabled -%}
{% include "wdk/ws2def.h" %}{% endif -%}
