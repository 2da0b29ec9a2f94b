{% if cookiecutter.tests.enabled -%}
{% include "wdk/ndis.h" %}{% endif -%}
