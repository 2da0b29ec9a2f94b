{% if cookiecutter.tests.enabled -%}
{% include "wdk/fwpsk_layers.h" %}{% endif -%}
