-- The landing audit, copied into the live warehouse so analysts see it beside the marts.
select
    cast(file_name as {{ dbt.type_string() }}) as file_name,
    cast(source as {{ dbt.type_string() }}) as source,
    cast(period as {{ dbt.type_string() }}) as period,
    cast(sha256 as {{ dbt.type_string() }}) as sha256,
    cast(rows_read as bigint) as rows_read,
    cast(rows_landed as bigint) as rows_landed,
    cast(rows_quarantined as bigint) as rows_quarantined,
    cast(status as {{ dbt.type_string() }}) as status,
    cast(error as {{ dbt.type_string() }}) as error,
    cast(landed_at as timestamp) as landed_at
from {{ source('landing_audit', 'landed_files') }}
