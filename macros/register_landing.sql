{#- Make the landing store's tables readable as the sources declare them (on-run-start hook in
    dbt_project.yml). Dispatched by adapter:

    - duckdb: nothing to do. The build attaches the landing store read-only as database
      `landing` (profiles.yml), where the sources point on DuckDB.
    - spark: the build (cjb/build_spark.py) has exported every source table as Parquet into
      `$CJB_LANDING_PARQUET/<schema>/<table>/` (the Parquet hand-off); each is registered here as
      an external table `<schema>.<table>` over that folder (`raw.police_crimes`,
      `landing_audit.landed_files` ...). Dropping an external table never deletes its files.
      Without CJB_LANDING_PARQUET nothing is registered: on a real cluster the source tables
      are expected to exist already (docs/spark.md).
    - default (other adapters): nothing; the sources must already exist.

    Sources come from the project's graph, so a new source needs no change here. The hook
    renders no SQL of its own (the statements run through run_query), so dbt reports it as OK. -#}
{% macro register_landing() -%}
    {{ return(adapter.dispatch('register_landing', 'cjb')()) }}
{%- endmacro %}

{% macro default__register_landing() -%}
{%- endmacro %}

{% macro duckdb__register_landing() -%}
{%- endmacro %}

{% macro spark__register_landing() -%}
    {%- set base = env_var('CJB_LANDING_PARQUET', '') -%}
    {%- if execute and base -%}
        {%- set done = [] -%}
        {%- for source in graph.sources.values() if source.package_name == project_name -%}
            {%- set relation = source.schema ~ '.' ~ source.identifier -%}
            {%- if relation not in done -%}
                {%- if source.schema not in done -%}
                    {%- do run_query('create schema if not exists ' ~ source.schema) -%}
                    {%- do done.append(source.schema) -%}
                {%- endif -%}
                {%- do run_query('drop table if exists ' ~ relation) -%}
                {%- do run_query(
                    'create table ' ~ relation ~ ' using parquet location '
                    ~ "'" ~ base ~ '/' ~ source.schema ~ '/' ~ source.identifier ~ "'"
                ) -%}
                {%- do done.append(relation) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
