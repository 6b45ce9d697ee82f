-- One row per disposal_id, its latest version, with the disposal type's name and the period of
-- its disposal_date. Sex is M, F or U (unknown), never null.
--
-- Incremental on DuckDB (macros/incremental_refresh.sql): a refresh recomputes the standing
-- version of the keys that newly landed files carry and replaces those rows; a full build reads
-- staging. A plain table on Spark, where offline dbt has no delete+insert or merge.
{{ config(
    materialized=cjb.incremental_fact_materialization(),
    incremental_strategy='delete+insert',
    unique_key='disposal_id',
    on_schema_change='fail',
) }}
{%- set raw_versions = source('police', 'oocr') %}

with disposals as (
    {%- if is_incremental() %}
        select {{ cjb.stg_columns_police__oocr_disposals() }}
        from {{ cjb.incremental_standing_versions(raw_versions, 'disposal_id') }} as standing_versions
    {%- else %}
        select * from {{ ref('stg_police__oocr_disposals') }}
    {%- endif %}
)

select
    cast(disposals.disposal_id as {{ dbt.type_string() }}) as disposal_id,
    cast(disposals.person_key as {{ dbt.type_string() }}) as person_key,
    cast(disposals.sex as {{ dbt.type_string() }}) as sex,
    cast(disposals.age_at_disposal as integer) as age_at_disposal,
    cast(disposals.disposal_date as date) as disposal_date,
    {{ cjb.calendar_columns('disposals.disposal_date') }},
    cast(disposals.disposal_type as {{ dbt.type_string() }}) as disposal_type,
    cast(types.disposal_type_name as {{ dbt.type_string() }}) as disposal_type_name,
    cast(disposals.offence_code as {{ dbt.type_string() }}) as offence_code,
    cast(disposals.has_previous_convictions as boolean) as has_previous_convictions,
    cast(disposals.has_previous_cautions as boolean) as has_previous_cautions,
    cast(disposals.is_intervention_referred as boolean) as is_intervention_referred,
    cast(disposals.intervention_provider as {{ dbt.type_string() }}) as intervention_provider,
    cast(disposals.intervention_outcome as {{ dbt.type_string() }}) as intervention_outcome,
    cast(disposals.source_file_name as {{ dbt.type_string() }}) as source_file_name,
    cast(disposals.landed_at as timestamp) as landed_at
from disposals
left join {{ ref('dim_oocr_disposal_type') }} as types
    on disposals.disposal_type = types.disposal_type
