{#- Integers 0 .. 10^digits - 1 as column `n` (an INTEGER), dispatched by adapter.

    default (DuckDB and any other engine): a cross join of digit rows - no seed, no recursion,
    no engine-specific generator. Spark: its range() table function, the same rows; Spark plans
    the five-way cross join of literal unions slowly (dim_calendar took 16 s instead of 2 s on
    a loaded two-core machine). -#}
{% macro number_series(digits=5) -%}
    {{ return(adapter.dispatch('number_series', 'cjb')(digits)) }}
{%- endmacro %}

{% macro spark__number_series(digits=5) -%}
    (select cast(id as integer) as n from range({{ 10 ** digits }}))
{%- endmacro %}

{% macro default__number_series(digits=5) -%}
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
