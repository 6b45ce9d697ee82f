-- HMCTS cracked and ineffective trial reasons with who each is attributed to.
select
    cast({{ cjb.clean_code('reasons.code') }} as {{ dbt.type_string() }}) as reason_code,
    cast({{ cjb.clean_enum('reasons.outcome') }} as {{ dbt.type_string() }}) as trial_outcome,
    cast(reasons.reason as {{ dbt.type_string() }}) as reason,
    cast({{ cjb.clean_enum('reasons.attributed_to') }} as {{ dbt.type_string() }}) as attributed_to,
    cast({{ cjb.clean_enum('reasons.court_scope') }} as {{ dbt.type_string() }}) as court_scope,
    cast(reasons.xhibit_event_subtype as integer) as xhibit_event_subtype
from {{ ref('trial_reasons') }} as reasons
