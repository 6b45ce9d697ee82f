-- One row per listing_id, its latest version, with the court's name, the reason and who it is
-- attributed to, and the period of its listing_date. Vacated trials are not listed.
--
-- Incremental on DuckDB (macros/incremental_refresh.sql): a refresh recomputes the standing
-- version of the keys that newly landed files carry and replaces those rows; a full build reads
-- staging. A plain table on Spark, where offline dbt has no delete+insert or merge.
{{ config(
    materialized=cjb.incremental_fact_materialization(),
    incremental_strategy='delete+insert',
    unique_key='listing_id',
    on_schema_change='fail',
) }}
{%- set raw_versions = source('hmcts', 'court_trials') %}

with listings as (
    {%- if is_incremental() %}
        select {{ cjb.stg_columns_hmcts__trial_listings() }}
        from {{ cjb.incremental_standing_versions(raw_versions, 'listing_id') }} as standing_versions
    {%- else %}
        select * from {{ ref('stg_hmcts__trial_listings') }}
    {%- endif %}
)

select
    cast(listings.listing_id as {{ dbt.type_string() }}) as listing_id,
    cast(listings.case_urn as {{ dbt.type_string() }}) as case_urn,
    cast(
        {{ dbt.concat(['listings.jurisdiction', "':'", 'listings.court_code']) }} as {{ dbt.type_string() }}
    ) as court_key,
    cast(listings.court_code as {{ dbt.type_string() }}) as court_code,
    cast(courts.court_name as {{ dbt.type_string() }}) as court_name,
    cast(listings.jurisdiction as {{ dbt.type_string() }}) as jurisdiction,
    cast(listings.listing_date as date) as listing_date,
    {{ cjb.calendar_columns('listings.listing_date') }},
    cast(listings.trial_outcome as {{ dbt.type_string() }}) as trial_outcome,
    cast(listings.reason_code as {{ dbt.type_string() }}) as reason_code,
    cast(reasons.reason as {{ dbt.type_string() }}) as reason,
    cast(reasons.attributed_to as {{ dbt.type_string() }}) as attributed_to,
    cast(listings.trial_outcome in ('effective', 'cracked', 'ineffective') as boolean) as is_listed,
    cast(listings.offence_group as {{ dbt.type_string() }}) as offence_group,
    cast(listings.defendant_count as integer) as defendant_count,
    cast(listings.defendant_person_key as {{ dbt.type_string() }}) as defendant_person_key,
    cast(listings.source_file_name as {{ dbt.type_string() }}) as source_file_name,
    cast(listings.landed_at as timestamp) as landed_at
from listings
left join {{ ref('dim_court') }} as courts
    on
        listings.court_code = courts.court_code
        and listings.jurisdiction = courts.jurisdiction
left join {{ ref('dim_trial_outcome_reason') }} as reasons
    on listings.reason_code = reasons.reason_code
