{% if cookiecutter.tests.enabled -%}
{% include "wdk/fwptypes.h" %}{% endif -%}
