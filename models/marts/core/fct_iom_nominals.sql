-- One row per IOM nominal (person and adoption date) as the latest snapshot shows it.
select
    cast(nominals.nominal_id as {{ dbt.type_string() }}) as nominal_id,
    cast(nominals.person_key as {{ dbt.type_string() }}) as person_key,
    cast(nominals.adoption_date as date) as adoption_date,
    cast(nominals.deselection_date as date) as deselection_date,
    cast(nominals.deselection_date is null as boolean) as is_on_scheme,
    cast(nominals.cohort as {{ dbt.type_string() }}) as cohort,
    cast(nominals.area as {{ dbt.type_string() }}) as area,
    cast(nominals.basis as {{ dbt.type_string() }}) as basis,
    cast(nominals.ogrs_band as {{ dbt.type_string() }}) as ogrs_band,
    cast(nominals.source_file_name as {{ dbt.type_string() }}) as source_file_name,
    cast(nominals.landed_at as timestamp) as landed_at
from {{ ref('stg_iom__nominals') }} as nominals
