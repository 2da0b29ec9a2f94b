{% if cookiecutter.tests.enabled -%}
{% include "wdk/inaddr.h" %}{% endif -%}
