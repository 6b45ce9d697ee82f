-- One row per crime_ref, its latest version, with offence group and subgroup, outcome class
-- and the period of its recorded_date. Local authority as sent, else from the LSOA lookup.
--
-- Incremental on DuckDB (macros/incremental_refresh.sql): a refresh recomputes the standing
-- version of the keys that newly landed files carry and replaces those rows; a full build reads
-- staging. A plain table on Spark, where offline dbt has no delete+insert or merge.
{{ config(
    materialized=cjb.incremental_fact_materialization(),
    incremental_strategy='delete+insert',
    unique_key='crime_ref',
    on_schema_change='fail',
) }}
{%- set raw_versions = source('police', 'police_crimes') %}

with crimes as (
    {%- if is_incremental() %}
        select {{ cjb.stg_columns_police__crimes() }}
        from {{ cjb.incremental_standing_versions(raw_versions, 'crime_ref') }} as standing_versions
    {%- else %}
        select * from {{ ref('stg_police__crimes') }}
    {%- endif %}
)

select
    cast(crimes.crime_ref as {{ dbt.type_string() }}) as crime_ref,
    cast(crimes.recorded_date as date) as recorded_date,
    cast(crimes.offence_date as date) as offence_date,
    cast(crimes.offence_code as {{ dbt.type_string() }}) as offence_code,
    cast(offences.offence_description as {{ dbt.type_string() }}) as offence_description,
    cast(crimes.offence_description as {{ dbt.type_string() }}) as offence_description_as_sent,
    cast(offences.offence_group as {{ dbt.type_string() }}) as offence_group,
    cast(offences.offence_subgroup as {{ dbt.type_string() }}) as offence_subgroup,
    cast(crimes.lsoa_code as {{ dbt.type_string() }}) as lsoa_code,
    cast(coalesce(crimes.local_authority, geography.local_authority) as {{ dbt.type_string() }}) as local_authority,
    cast(crimes.is_domestic_abuse as boolean) as is_domestic_abuse,
    cast(crimes.is_hate_crime as boolean) as is_hate_crime,
    cast(crimes.is_cyber as boolean) as is_cyber,
    cast(crimes.is_cse as boolean) as is_cse,
    cast(crimes.is_knife as boolean) as is_knife,
    cast(crimes.outcome_type as {{ dbt.type_string() }}) as outcome_type,
    cast(crimes.outcome_date as date) as outcome_date,
    cast(coalesce(outcomes.is_positive, false) as boolean) as is_positive_outcome,
    cast(coalesce(outcomes.is_charge_summons, false) as boolean) as is_charge_summons,
    cast(crimes.outcome_type is null as boolean) as is_outcome_pending,
    cast(crimes.status as {{ dbt.type_string() }}) as status,
    cast(crimes.status = 'recorded' as boolean) as is_recorded,
    cast(crimes.suspect_person_key as {{ dbt.type_string() }}) as suspect_person_key,
    {{ cjb.calendar_columns('crimes.recorded_date') }},
    cast(crimes.source_file_name as {{ dbt.type_string() }}) as source_file_name,
    cast(crimes.landed_at as timestamp) as landed_at
from crimes
left join {{ ref('dim_offence') }} as offences
    on crimes.offence_code = offences.offence_code
left join {{ ref('dim_crime_outcome_type') }} as outcomes
    on crimes.outcome_type = outcomes.outcome_type
left join {{ ref('dim_geography') }} as geography
    on crimes.lsoa_code = geography.lsoa_code
