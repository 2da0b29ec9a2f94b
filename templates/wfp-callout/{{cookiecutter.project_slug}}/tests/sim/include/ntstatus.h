{% if cookiecutter.tests.enabled -%}
{% include "wdk/ntstatus.h" %}{% endif -%}
