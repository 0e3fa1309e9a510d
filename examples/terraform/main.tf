# The same as the cdktf example, as plain Terraform, for teams leaving cdktf (archived in
# December 2025). Built-in terraform_data only: `terraform init` downloads nothing.
#
# The commands are constants; the users file and settings reach them through `environment`.

terraform {
  required_version = ">= 1.4"
}

variable "ram_scim_cli" {
  description = "Path of the installed ram-scim CLI (node_modules/alicloud-ram-scim/dist/cli/bin.js)"
  type        = string
  default     = "node_modules/alicloud-ram-scim/dist/cli/bin.js"
}

variable "node" {
  description = "The node binary that runs the CLI"
  type        = string
  default     = "node"
}

variable "client_id" {
  description = "AppId of the RAM OAuth application (made in the console, or with `ram-scim app create`)"
  type        = string
}

variable "client_secret_file" {
  description = "File holding the application secret (`ram-scim app secret create --out FILE`)"
  type        = string
}

variable "scim_url" {
  description = "SCIM base URL; empty for the site's default"
  type        = string
  default     = ""
}

variable "token_url" {
  description = "OAuth token URL; empty for the site's default"
  type        = string
  default     = ""
}

variable "every_apply" {
  description = "Re-apply on every `terraform apply`, correcting changes made in RAM since; false applies only when users.yaml or a setting changes"
  type        = bool
  default     = true
}

locals {
  users_file = yamldecode(file("${path.module}/users.yaml"))
  # Keyed per person, so that `terraform plan` names who joins, changes or leaves.
  user_set = merge(local.users_file, {
    users = { for user in local.users_file.users : user.userName => user }
  })
  settings = {
    client_id          = var.client_id
    client_secret_file = var.client_secret_file
    scim_url           = var.scim_url
    token_url          = var.token_url
  }
}

resource "terraform_data" "staff" {
  triggers_replace = merge(
    { user_set = local.user_set, settings = local.settings },
    var.every_apply ? { every_apply = plantimestamp() } : {},
  )

  provisioner "local-exec" {
    command = "\"$RAM_SCIM_NODE\" \"$RAM_SCIM_CLI\" apply --users-env RAM_SCIM_USERS --auto-approve"
    environment = {
      RAM_SCIM_NODE               = var.node
      RAM_SCIM_CLI                = var.ram_scim_cli
      RAM_SCIM_USERS              = jsonencode(merge(self.triggers_replace.user_set, { users = values(self.triggers_replace.user_set.users) }))
      RAM_SCIM_CLIENT_ID          = self.triggers_replace.settings.client_id
      RAM_SCIM_CLIENT_SECRET_FILE = self.triggers_replace.settings.client_secret_file
      RAM_SCIM_URL                = self.triggers_replace.settings.scim_url
      RAM_SCIM_TOKEN_URL          = self.triggers_replace.settings.token_url
    }
  }
}
