{% if cookiecutter.tests.enabled -%}
{% include "wdk/wdmsec.h" %}{% endif -%}
