-- The women's service need flags (seed fjsb_needs) with their pathway of need.
select
    cast(needs.need as {{ dbt.type_string() }}) as need,
    cast(needs.need_name as {{ dbt.type_string() }}) as need_name,
    cast(needs.domain_code as {{ dbt.type_string() }}) as domain_code,
    cast(domains.domain as {{ dbt.type_string() }}) as domain,
    cast(domains.framework as {{ dbt.type_string() }}) as framework,
    cast(needs.sort_order as integer) as sort_order
from {{ ref('fjsb_needs') }} as needs
left join {{ ref('fjsb_need_domains') }} as domains
    on needs.domain_code = domains.domain_code
