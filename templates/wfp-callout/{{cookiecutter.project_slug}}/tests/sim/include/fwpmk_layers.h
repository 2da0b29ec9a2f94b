{% if cookiecutter.tests.enabled -%}
{% include "wdk/fwpmk_layers.h" %}{% endif -%}
