-- Quarantined records with the rule each broke, copied into the live warehouse. Person keys in
-- raw_record are already pseudonymised at landing.
select
    cast(file_name as {{ dbt.type_string() }}) as file_name,
    cast(source as {{ dbt.type_string() }}) as source,
    cast(row_number as bigint) as row_number,
    cast(rule as {{ dbt.type_string() }}) as rule,
    raw_record,
    cast(landed_at as timestamp) as landed_at
from {{ source('landing_audit', 'quarantine') }}
