-- Home Office offence codes (canonical: no leading zeros, upper case) with their ONS offence
-- group and subgroup.
select
    cast({{ cjb.canonical_offence_code('codes.offence_code') }} as {{ dbt.type_string() }}) as offence_code,
    cast(codes.offence_description as {{ dbt.type_string() }}) as offence_description,
    cast(codes.offence_group as {{ dbt.type_string() }}) as offence_group,
    cast(codes.offence_subgroup as {{ dbt.type_string() }}) as offence_subgroup,
    cast(codes.offence_code_expired as boolean) as is_expired
from {{ ref('ho_offence_codes') }} as codes
