{#- Incremental refresh of the large facts (fct_crimes, fct_trial_listings, fct_oocr_disposals;
    docs/operations.md, "Incremental refresh and full rebuilds").

    On DuckDB those facts are `incremental` models (delete+insert on their record key). A full
    build reads the standing versions from staging. An incremental build:

    1. finds the raw rows of files this warehouse has not taken in yet: files whose SHA-256 is
       not in `audit.warehouse_build_files` (written by cjb/build.py after every complete build:
       every file landed when that build started). File hashes, not landing times, so a clock
       that jumps cannot hide a file;
    2. takes every raw version (from any file, old or new) of the keys those rows carry, and
       resolves the standing version of each with the same macro staging uses
       (`latest_version`: latest file period, then latest landing). A late delivery of an old
       month therefore competes with every newer version of its keys and never overrides one;
       a quarantined resend never reached raw, so the earlier version stands;
    3. recodes those standing versions exactly as staging does (the `stg_columns_*`
       column lists below) and delete+inserts them by key.

    Keys only ever gain versions (landing appends; a reset landing store makes cjb/build.py
    rebuild from empty), so every key the fact does not replace keeps its standing version.
    Reprocessing a file already taken in is harmless (same winner), which is why a stale or
    missing state only costs time: without the state table every file counts as new.

    Spark: the facts are plain tables there (`table` materialization; Spark offline has no
    merge or delete+insert), `is_incremental()` is false and nothing here is rendered. -#}

{#- The facts' materialization: incremental on DuckDB, a table elsewhere. -#}
{% macro incremental_fact_materialization() -%}
    {{ return('incremental' if target.type == 'duckdb' else 'table') }}
{%- endmacro %}

{#- A condition on a raw table's `_file_sha256` column: true for files not taken in yet. -#}
{% macro incremental_is_new_file(sha_column) -%}
    {%- set state = adapter.get_relation(
        database=this.database, schema='audit', identifier='warehouse_build_files'
    ) -%}
    {%- if state is none -%}
        true
    {%- else -%}
        {{ sha_column }} not in (select built.file_sha256 from {{ state }} as built)
    {%- endif -%}
{%- endmacro %}

{#- The standing version (latest_version, as staging resolves it) of every key that rows of new
    files carry, over every raw version of those keys from any file, old or new. -#}
{% macro incremental_standing_versions(raw_relation, key_column) -%}
    {%- set carried_by_new_files -%}
        {{ key_column }} in (
            select new_rows.{{ key_column }}
            from {{ raw_relation }} as new_rows
            where {{ cjb.incremental_is_new_file('new_rows._file_sha256') }}
        )
    {%- endset -%}
    {{ cjb.latest_version(raw_relation, [key_column], where=carried_by_new_files) }}
{%- endmacro %}

{#- Staging's recoding, column for column, of raw rows that are already the standing versions.
    The staging models select exactly these lists, and the incremental refresh applies them to
    the standing versions it resolves, so both recode in one place. -#}
{% macro stg_columns_police__crimes() -%}
    cast(crime_ref as {{ dbt.type_string() }}) as crime_ref,
    cast(recorded_date as date) as recorded_date,
    cast(offence_date as date) as offence_date,
    cast({{ cjb.canonical_offence_code('ho_offence_code') }} as {{ dbt.type_string() }}) as offence_code,
    cast(ho_offence_code as {{ dbt.type_string() }}) as offence_code_as_sent,
    cast(offence_description as {{ dbt.type_string() }}) as offence_description,
    cast({{ cjb.clean_code('lsoa_code') }} as {{ dbt.type_string() }}) as lsoa_code,
    cast(nullif(trim(local_authority), '') as {{ dbt.type_string() }}) as local_authority,
    cast(is_domestic_abuse as boolean) as is_domestic_abuse,
    cast(is_hate_crime as boolean) as is_hate_crime,
    cast(is_cyber as boolean) as is_cyber,
    cast(is_cse as boolean) as is_cse,
    cast(is_knife as boolean) as is_knife,
    cast({{ cjb.canonical_outcome_type('outcome_type') }} as {{ dbt.type_string() }}) as outcome_type,
    cast(outcome_date as date) as outcome_date,
    cast({{ cjb.clean_enum('status') }} as {{ dbt.type_string() }}) as status,
    cast(suspect_person_id as {{ dbt.type_string() }}) as suspect_person_key,
    cast(_file_name as {{ dbt.type_string() }}) as source_file_name,
    cast(_file_period as {{ dbt.type_string() }}) as source_file_period,
    cast(_row_number as integer) as source_row_number,
    cast(_landed_at as timestamp) as landed_at
{%- endmacro %}

{% macro stg_columns_hmcts__trial_listings() -%}
    cast(listing_id as {{ dbt.type_string() }}) as listing_id,
    cast(case_urn as {{ dbt.type_string() }}) as case_urn,
    cast(trim(court_code) as {{ dbt.type_string() }}) as court_code,
    cast({{ cjb.clean_enum('jurisdiction') }} as {{ dbt.type_string() }}) as jurisdiction,
    cast(listing_date as date) as listing_date,
    cast({{ cjb.clean_enum('trial_outcome') }} as {{ dbt.type_string() }}) as trial_outcome,
    cast({{ cjb.clean_code('reason_code') }} as {{ dbt.type_string() }}) as reason_code,
    cast(nullif(trim(offence_group), '') as {{ dbt.type_string() }}) as offence_group,
    cast(coalesce(defendant_count, 1) as integer) as defendant_count,
    cast(defendant_person_id as {{ dbt.type_string() }}) as defendant_person_key,
    cast(_file_name as {{ dbt.type_string() }}) as source_file_name,
    cast(_file_period as {{ dbt.type_string() }}) as source_file_period,
    cast(_row_number as integer) as source_row_number,
    cast(_landed_at as timestamp) as landed_at
{%- endmacro %}

{% macro stg_columns_police__oocr_disposals() -%}
    cast(disposal_id as {{ dbt.type_string() }}) as disposal_id,
    cast(person_id as {{ dbt.type_string() }}) as person_key,
    cast({{ cjb.recode_sex('sex') }} as {{ dbt.type_string() }}) as sex,
    cast(age_at_disposal as integer) as age_at_disposal,
    cast(disposal_date as date) as disposal_date,
    cast({{ cjb.clean_enum('disposal_type') }} as {{ dbt.type_string() }}) as disposal_type,
    cast({{ cjb.canonical_offence_code('ho_offence_code') }} as {{ dbt.type_string() }}) as offence_code,
    cast(previous_convictions as boolean) as has_previous_convictions,
    cast(previous_cautions as boolean) as has_previous_cautions,
    cast(intervention_referred as boolean) as is_intervention_referred,
    cast(nullif(trim(intervention_provider), '') as {{ dbt.type_string() }}) as intervention_provider,
    cast({{ cjb.clean_enum('intervention_outcome') }} as {{ dbt.type_string() }}) as intervention_outcome,
    cast(_file_name as {{ dbt.type_string() }}) as source_file_name,
    cast(_file_period as {{ dbt.type_string() }}) as source_file_period,
    cast(_row_number as integer) as source_row_number,
    cast(_landed_at as timestamp) as landed_at
{%- endmacro %}
