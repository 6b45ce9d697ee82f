{#- Seed loading on Spark (overrides dbt-spark's spark__load_csv_rows; DuckDB keeps
    dbt-duckdb's loader, a COPY from the CSV file).

    dbt-spark's `session` method fills its insert placeholders with `'value'` unescaped: a
    value holding an apostrophe (Magistrates' Court) breaks the SQL, a blank cell becomes the
    text 'None' and numbers go through float. Two loaders replace it:

    - From the file (default; right for the `session` method, where Spark runs beside dbt and
      can read the seed's CSV): Spark's CSV reader (header, RFC 4180 quoting) as a temporary view,
      inserted with every column cast to its type. Blank cells are null, as DuckDB's COPY reads
      them. The 34,753-row ONS LSOA lookup loads in about a second instead of half a minute.
    - As literals (with var cjb_spark_seed_from_file: false, for a cluster that cannot read
      this machine's files, e.g. the thrift method; docs/spark.md): batches of 5,000 rows of escaped Spark
      string literals cast to the column type; blank cells null.

    Column types are the seed's column_types (every reference column is typed in seeds/*.yml,
    so codes such as '01' stay text) or what dbt infers, as on DuckDB. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for col_name in agate_table.column_names -%}
        {%- do types.append(column_override.get(col_name, adapter.convert_type(agate_table, loop.index0))) -%}
    {%- endfor -%}
    {%- set path = agate_table.original_abspath -%}
    {%- if path and var('cjb_spark_seed_from_file', true) -%}
        {{ return(cjb.spark_load_csv_from_file(model, agate_table, types, path)) }}
    {%- else -%}
        {{ return(cjb.spark_load_csv_as_literals(agate_table, types)) }}
    {%- endif -%}
{% endmacro %}

{% macro spark_load_csv_from_file(model, agate_table, types, path) %}
    {%- set view = 'cjb_seed_csv__' ~ model['alias'] -%}
    {%- set delimiter = model['config'].get('delimiter', ',') or ',' -%}
    {%- set read_sql -%}
        create or replace temporary view {{ view }}
        using csv
        options (
            path '{{ path | replace("\\", "\\\\") | replace("'", "\\'") }}',
            header 'true',
            inferSchema 'false',
            sep '{{ delimiter }}',
            quote '"',
            escape '"',
            multiLine 'true',
            mode 'FAILFAST'
        )
    {%- endset -%}
    {%- set sql -%}
        insert into {{ this.render() }}
        select
            {% for col_name in agate_table.column_names -%}
                cast(`{{ col_name }}` as {{ types[loop.index0] }})
                {%- if not loop.last %},{% endif %}
            {% endfor -%}
        from {{ view }}
    {%- endset -%}
    {%- do adapter.add_query(read_sql, abridge_sql_log=True) -%}
    {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
    {%- do adapter.add_query('drop view if exists ' ~ view, abridge_sql_log=True) -%}
    {{ return(sql) }}
{% endmacro %}

{% macro spark_load_csv_as_literals(agate_table, types) %}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(5000) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for value in row -%}
                    {{ cjb.spark_seed_literal(value, types[loop.index0]) }}
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},
            {% endif -%}
            {%- endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first %}{% do statements.append(sql) %}{% endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}

{#- One seed value as a Spark SQL literal of `type`: null for a blank cell, otherwise the text
    (backslash and apostrophe escaped: Spark string literals take backslash escapes) cast to
    the column type. Booleans become true/false before the cast. -#}
{% macro spark_seed_literal(value, type) -%}
    {%- if value is none or (value is string and value == '') -%}
        cast(null as {{ type }})
    {%- else -%}
        {%- if value is sameas true -%}{%- set text = 'true' -%}
        {%- elif value is sameas false -%}{%- set text = 'false' -%}
        {%- else -%}{%- set text = value | string -%}
        {%- endif -%}
        cast('{{ text | replace("\\", "\\\\") | replace("'", "\\'") }}' as {{ type }})
    {%- endif -%}
{%- endmacro %}
