//! Glob patterns over resource names: `*` matches any run of characters,
//! `?` any one; everything else, brackets and dots included, is literal, so
//! `aws_x.y[0]` matches itself.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob(String);

impl Glob {
    pub fn new(pattern: &str) -> Glob {
        Glob(pattern.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn matches(&self, text: &str) -> bool {
        let pattern: Vec<char> = self.0.chars().collect();
        let text: Vec<char> = text.chars().collect();
        // Iterative matching with one backtrack point: linear in practice,
        // never exponential.
        let (mut p, mut t) = (0, 0);
        let mut star: Option<(usize, usize)> = None;
        while t < text.len() {
            match pattern.get(p) {
                Some('*') => {
                    star = Some((p, t));
                    p += 1;
                }
                Some('?') => {
                    p += 1;
                    t += 1;
                }
                Some(c) if *c == text[t] => {
                    p += 1;
                    t += 1;
                }
                _ => match star {
                    Some((sp, st)) => {
                        p = sp + 1;
                        t = st + 1;
                        star = Some((sp, st + 1));
                    }
                    None => return false,
                },
            }
        }
        pattern[p..].iter().all(|c| *c == '*')
    }
}

#[cfg(test)]
mod tests {
    use super::Glob;

    #[test]
    fn stars_questions_and_literal_brackets() {
        assert!(
            Glob::new("aws_efs_mount_target.data[*]")
                .matches("aws_efs_mount_target.data[\"us-east-1a\"]")
        );
        assert!(
            Glob::new("module.*.aws_iam_role.*").matches("module.a.module.b.aws_iam_role.task")
        );
        assert!(Glob::new("TaskDef????????").matches("TaskDef54694570"));
        assert!(Glob::new("aws_x.y[0]").matches("aws_x.y[0]"));
        assert!(!Glob::new("aws_x.y[0]").matches("aws_x.y0"));
        assert!(!Glob::new("*Policy").matches("PolicyDocument"));
        assert!(Glob::new("*").matches(""));
    }
}
