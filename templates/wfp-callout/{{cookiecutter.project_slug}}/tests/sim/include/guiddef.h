{% if cookiecutter.tests.enabled -%}
{% include "wdk/guiddef.h" %}{% endif -%}
