{% if cookiecutter.tests.enabled -%}
{% include "wdk/ntdef.h" %}{% endif -%}
