{% if cookiecutter.tests.enabled -%}
{% include "wdk/wdm.h" %}{% endif -%}
