use super::made_from_path;

#[test]
fn names_made_from_the_construct_path_are_generated() {
    assert!(made_from_path(
        "PetclinicServicesAdminServerTaskDef6E8EB01F",
        "PetclinicServices/AdminServer/TaskDef/Resource"
    ));
    assert!(made_from_path(
        "CatalogSvcTaskRoleDefaultPolicy7EADDCE4",
        "RetailStore/CatalogSvc/TaskRole/DefaultPolicy/Resource"
    ));
    assert!(made_from_path(
        "BackendServiceecsdemobackend49AB2055",
        "BackendService/ecsdemo-backend/Resource"
    ));
    // An ID the one before it ends with is left out: `Service` under
    // `FrontendFargateLBService`.
    assert!(made_from_path(
        "FrontendServiceFrontendFargateLBServiceTaskCountTargetCpuScalingF7457D40",
        "FrontendService/FrontendFargateLBService/Service/TaskCount/Target/CpuScaling/Resource"
    ));
    // A name the app chose, even with a hash-like end, is not.
    assert!(!made_from_path(
        "petclinic-admin-server",
        "PetclinicServices/AdminServer/TaskDef/Resource"
    ));
    assert!(!made_from_path(
        "OtherTaskDef6E8EB01F",
        "PetclinicServices/AdminServer/TaskDef/Resource"
    ));
    assert!(!made_from_path(
        "PetclinicServicesAdminServerTaskDef6e8eb01f",
        "PetclinicServices/AdminServer/TaskDef/Resource"
    ));
}
