-- Integrated Offender Management nominals from the monthly cohort snapshots: one row per
-- person and adoption date, as the latest snapshot shows it (so a later snapshot's
-- deselection date replaces an earlier blank).
with latest as (
    select *
    from {{ cjb.latest_version(source('iom', 'iom_cohort'), ['person_id', 'adoption_date']) }} as standing_versions
)

select
    cast({{ cjb.surrogate_key(['person_id', 'adoption_date']) }} as {{ dbt.type_string() }}) as nominal_id,
    cast(person_id as {{ dbt.type_string() }}) as person_key,
    cast(adoption_date as date) as adoption_date,
    cast(deselection_date as date) as deselection_date,
    cast({{ cjb.clean_enum('cohort') }} as {{ dbt.type_string() }}) as cohort,
    cast(nullif(trim(area), '') as {{ dbt.type_string() }}) as area,
    cast({{ cjb.clean_enum('basis') }} as {{ dbt.type_string() }}) as basis,
    cast({{ cjb.clean_enum('ogrs_band') }} as {{ dbt.type_string() }}) as ogrs_band,
    cast(_file_name as {{ dbt.type_string() }}) as source_file_name,
    cast(_file_period as {{ dbt.type_string() }}) as source_file_period,
    cast(_row_number as integer) as source_row_number,
    cast(_landed_at as timestamp) as landed_at
from latest
