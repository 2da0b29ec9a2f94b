{% if cookiecutter.tests.enabled -%}
{% include "wdk/initguid.h" %}{% endif -%}
