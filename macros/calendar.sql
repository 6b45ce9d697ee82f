{#- Calendar conventions of marts.md: financial year April to March labelled '2018-19',
    quarter Q1 = April to June, period_label '2018-19 Q3'. Portable (DuckDB and Spark). -#}

{% macro fy_start_year(date_expr) -%}
    cast(
        case
            when extract(month from {{ date_expr }}) >= 4 then extract(year from {{ date_expr }})
            else extract(year from {{ date_expr }}) - 1
        end as integer
    )
{%- endmacro %}

{% macro financial_year(date_expr) -%}
    {{ dbt.concat([
        "cast(" ~ cjb.fy_start_year(date_expr) ~ " as " ~ dbt.type_string() ~ ")",
        "'-'",
        "lpad(cast(mod(" ~ cjb.fy_start_year(date_expr) ~ " + 1, 100) as " ~ dbt.type_string() ~ "), 2, '0')"
    ]) }}
{%- endmacro %}

{% macro fy_quarter_number(date_expr) -%}
    cast(floor(mod(cast(extract(month from {{ date_expr }}) as integer) + 8, 12) / 3) + 1 as integer)
{%- endmacro %}

{% macro financial_quarter(date_expr) -%}
    {{ dbt.concat(["'Q'", "cast(" ~ cjb.fy_quarter_number(date_expr) ~ " as " ~ dbt.type_string() ~ ")"]) }}
{%- endmacro %}

{% macro period_label(date_expr) -%}
    {{ dbt.concat([cjb.financial_year(date_expr), "' '", cjb.financial_quarter(date_expr)]) }}
{%- endmacro %}

{#- Consecutive integer per financial quarter (year * 4 + quarter - 1): rolling windows and
    same-quarter-last-year lookups are arithmetic on it (last year = index - 4). -#}
{% macro fy_quarter_index(date_expr) -%}
    cast({{ cjb.fy_start_year(date_expr) }} * 4 + {{ cjb.fy_quarter_number(date_expr) }} - 1 as integer)
{%- endmacro %}

{% macro month_start(date_expr) -%}
    cast({{ dbt.date_trunc('month', date_expr) }} as date)
{%- endmacro %}

{#- Date arithmetic returning DATE, dispatched by adapter. DuckDB (and the default): dbt's
    dateadd cast back to date (dbt.dateadd gives a TIMESTAMP). Spark: the native date functions
    (date_add, add_months return DATE). dbt-spark's own dateadd goes through unix seconds and
    returns null under spark.sql.timestampType=TIMESTAMP_NTZ; the native functions are exact
    and simpler. Both engines clamp month ends alike (31 March + 1 month = 30 April). -#}
{% macro add_months(date_expr, months) -%}
    {{ return(adapter.dispatch('add_months', 'cjb')(date_expr, months)) }}
{%- endmacro %}

{% macro default__add_months(date_expr, months) -%}
    cast({{ dbt.dateadd('month', months, date_expr) }} as date)
{%- endmacro %}

{% macro spark__add_months(date_expr, months) -%}
    add_months(cast({{ date_expr }} as date), cast({{ months }} as int))
{%- endmacro %}

{% macro add_days(date_expr, days) -%}
    {{ return(adapter.dispatch('add_days', 'cjb')(date_expr, days)) }}
{%- endmacro %}

{% macro default__add_days(date_expr, days) -%}
    cast({{ dbt.dateadd('day', days, date_expr) }} as date)
{%- endmacro %}

{% macro spark__add_days(date_expr, days) -%}
    date_add(cast({{ date_expr }} as date), cast({{ days }} as int))
{%- endmacro %}
