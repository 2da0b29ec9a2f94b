{% if cookiecutter.tests.enabled -%}
{% include "wdk/sal.h" %}{% endif -%}
