{% if cookiecutter.tests.enabled -%}
{% include "wdk/fwpmk.h" %}{% endif -%}
