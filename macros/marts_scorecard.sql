{#- Helpers of the public marts (scorecard and measure rows). Portable: DuckDB and Spark. -#}

{#- One scorecard measure row with the typed columns every int_scorecard__* model returns.
    `quarter` is the alias of a row of int_marts__source_quarter_coverage. -#}
{% macro marts_measure_row(measure_code, quarter, value, numerator, denominator, unit, source) -%}
    cast('{{ measure_code }}' as {{ dbt.type_string() }}) as measure_code,
    cast({{ quarter }}.fy_quarter_index as integer) as fy_quarter_index,
    cast({{ quarter }}.period_label as {{ dbt.type_string() }}) as period_label,
    cast({{ quarter }}.quarter_start as date) as period_start,
    cast({{ quarter }}.quarter_end as date) as period_end,
    cast({{ value }} as decimal(18, 4)) as value,
    cast({{ numerator }} as decimal(18, 4)) as numerator,
    cast({{ denominator }} as decimal(18, 4)) as denominator,
    cast('{{ unit }}' as {{ dbt.type_string() }}) as unit,
    cast('{{ source }}' as {{ dbt.type_string() }}) as source
{%- endmacro %}

{#- A ratio recomputed from a numerator and denominator in the measure's unit: percent 0-100
    (the pct macro: one decimal, half away from zero), rate_per_1000, or a plain average
    (seconds, days) to one decimal. Null on a zero or missing denominator. -#}
{% macro marts_ratio(unit, numerator, denominator) -%}
    cast(
        case
            when coalesce({{ denominator }}, 0) = 0 or {{ numerator }} is null then null
            when {{ unit }} = 'percent' then {{ cjb.pct(numerator, denominator) }}
            when {{ unit }} = 'rate_per_1000' then round(
                cast(cast({{ numerator }} as decimal(38, 10)) * 1000 / cast({{ denominator }} as decimal(38, 10)) as decimal(38, 10)),
                1
            )
            else round(
                cast(cast({{ numerator }} as decimal(38, 10)) / cast({{ denominator }} as decimal(38, 10)) as decimal(38, 10)),
                1
            )
        end as decimal(18, 4)
    )
{%- endmacro %}

{#- Count of rows where a (nullable) boolean condition holds; unknown (null) is not counted. -#}
{% macro marts_count_if(condition) -%}
    cast(coalesce(sum(case when {{ condition }} then 1 else 0 end), 0) as bigint)
{%- endmacro %}

{#- A count measure row (no numerator or denominator). -#}
{% macro marts_count_row(measure_code, quarter, value, source) -%}
    {{ cjb.marts_measure_row(measure_code, quarter, value, 'null', 'null', 'count', source) }}
{%- endmacro %}

{#- A percentage measure row: value = numerator / denominator x 100 (pct macro), both kept. -#}
{% macro marts_rate_row(measure_code, quarter, numerator, denominator, source) -%}
    {{ cjb.marts_measure_row(
        measure_code, quarter, cjb.pct(numerator, denominator), numerator, denominator, 'percent', source
    ) }}
{%- endmacro %}
