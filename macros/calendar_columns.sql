{#- The calendar columns every fact carries for the date that places it in a period
    (marts.md: a crime by recorded_date, a trial by listing_date ...), typed explicitly. -#}
{% macro calendar_columns(date_expr) -%}
    cast({{ cjb.month_start(date_expr) }} as date) as month_start,
    cast({{ cjb.financial_year(date_expr) }} as {{ dbt.type_string() }}) as financial_year,
    cast({{ cjb.financial_quarter(date_expr) }} as {{ dbt.type_string() }}) as financial_quarter,
    cast({{ cjb.period_label(date_expr) }} as {{ dbt.type_string() }}) as period_label
{%- endmacro %}
