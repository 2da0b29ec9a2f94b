{% if cookiecutter.tests.enabled -%}
{% include "wdk/in6addr.h" %}{% endif -%}
