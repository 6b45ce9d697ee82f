{#- Use the folder's schema name as is (staging, core, marts, audit...), not
    "<target schema>_<custom schema>": analysts query marts.<table>. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
