module "efs" {
  source = "./modules/efs"

  name      = "${local.name}-monitoring"
  encrypted = true

  lifecycle_policy = {
    transition_to_ia = "AFTER_30_DAYS"
  }

  mount_targets = { for k, v in zipmap(local.azs, module.vpc.private_subnets) : k => { subnet_id = v } }

  security_group_description = "EFS of the PetClinic monitoring services"
  security_group_vpc_id      = module.vpc.vpc_id
  security_group_rules = {
    vpc = {
      description = "NFS from the private subnets"
      cidr_blocks = module.vpc.private_subnets_cidr_blocks
    }
  }

  access_points = {
    grafana = {
      posix_user = {
        gid = 472
        uid = 472
      }
      root_directory = {
        path = "/grafana"
        creation_info = {
          owner_gid   = 472
          owner_uid   = 472
          permissions = "755"
        }
      }
    }
    prometheus = {
      posix_user = {
        gid = 65534
        uid = 65534
      }
      root_directory = {
        path = "/prometheus"
        creation_info = {
          owner_gid   = 65534
          owner_uid   = 65534
          permissions = "755"
        }
      }
    }
  }

  create_backup_policy = true
  enable_backup_policy = true
}
