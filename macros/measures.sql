{#- Percentages are 0-100, computed from exact counts, rounded to one decimal place half away
    from zero; a zero (or null) denominator gives null (marts.md). Decimal arithmetic, so both
    engines round the same way. -#}
{% macro pct(numerator, denominator) -%}
    cast(
        case
            when coalesce({{ denominator }}, 0) = 0 then null
            else round(
                cast(cast({{ numerator }} as decimal(38, 10)) * 100 / cast({{ denominator }} as decimal(38, 10)) as decimal(38, 10)),
                1
            )
        end as decimal(5, 1)
    )
{%- endmacro %}

{#- Home Office offence codes compared without leading zeros, ignoring letter case
    ('0058A' and '58a' are '58A'; '4.10' stays '4.10'). -#}
{% macro canonical_offence_code(code_expr) -%}
    nullif(regexp_replace(upper(trim({{ code_expr }})), '^0+', ''), '')
{%- endmacro %}
