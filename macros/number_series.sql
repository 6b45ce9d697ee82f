{#- Integers 0 .. 10^digits - 1 as column `n`, from a cross join of digit rows: no seed, no
    recursion, no engine-specific generator, so it builds on DuckDB and Spark alike. -#}
{% macro number_series(digits=5) -%}
    (
        select
            cast(
                {%- for i in range(digits) %}
                d{{ i }}.digit * {{ 10 ** i }}{% if not loop.last %} +{% endif %}
                {%- endfor %}
                as integer
            ) as n
        from
            {%- for i in range(digits) %}
            {{ cjb.digit_rows() }} as d{{ i }}{% if not loop.last %}
            cross join{% endif %}
            {%- endfor %}
    )
{%- endmacro %}

{% macro digit_rows() -%}
    (
        {%- for d in range(10) %}
        select {{ d }} as digit{% if not loop.last %} union all{% endif %}
        {%- endfor %}
    )
{%- endmacro %}
