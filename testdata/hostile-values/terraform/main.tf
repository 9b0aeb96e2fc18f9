# Values a careless or hostile input may hold, where reports print them:
# environment variables (names and values), tags, descriptions, parameter
# values and resource names (for_each keys). Terminal escapes that recolour
# (ESC[31m), retitle (OSC 0 ... BEL) or clear (ESC[2J) the screen, an 8-bit
# CSI, DEL, bidirectional overrides and zero-width characters, markdown and
# HTML metacharacters, @mentions and a very long value.

locals {
  red     = "\u001b[31mred\u001b[0m"
  title   = "\u001b]0;pwned\u0007"
  clear   = "\u001b[2J\u001b[H"
  csi     = "\u009b31m\u007f"
  bidi    = "invoice\u202egnp.exe \u2066isolate\u2069 \u200fmark"
  hidden  = "zero\u200bwidth\u200cnon\u200djoiner\u2060word\ufeffbom"
  markup  = "| pipe | `tick` ``` **bold** [link](https://example.com) <script>alert(1)</script> <img src=x onerror=alert(1)> # heading &amp; ~strike~"
  mention = "@octocat and @example-org/security please approve"
  long    = join("", [for i in range(40) : "long-value-${i}-\u001b[1m-"])

  values = {
    red     = local.red
    title   = local.title
    clear   = local.clear
    csi     = local.csi
    bidi    = local.bidi
    hidden  = local.hidden
    markup  = local.markup
    mention = local.mention
    long    = local.long
  }
}

resource "aws_ssm_parameter" "hostile" {
  for_each       = local.values
  name           = "/hostile/${each.key}"
  type           = "String"
  insecure_value = "terraform ${each.value}"
  description    = "terraform ${each.value}"
  tags = {
    # Tags are at most 256 characters, their keys 128.
    Value                          = substr("terraform ${each.value}", 0, 256)
    "${substr(each.value, 0, 128)}" = "a key from the input"
  }
}

# Only in Terraform, named by keys that hold escapes.
resource "aws_ssm_parameter" "named" {
  for_each = {
    "\u001b[2J"          = "clear"
    "\u001b]0;title\u0007" = "title"
    "x\u202eyz"          = "bidi"
  }
  name           = "/named/${each.value}"
  type           = "String"
  insecure_value = each.value
}

resource "aws_ecs_task_definition" "api" {
  family                   = "hostile-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  container_definitions = jsonencode([{
    name      = "api"
    image     = "public.ecr.aws/nginx/nginx:1.27"
    essential = true
    environment = concat(
      [for k, v in local.values : { name = upper(k), value = "terraform ${v}" }],
      [{ name = "NAME_${local.red}", value = "a name with escapes" }],
    )
  }])
}
