//! The AWS managed policies that are special to the endpoint: the five
//! root-task policies (spec 05), read-only and never attachable. Every AWS
//! managed policy, these included, is in [`super::catalogue`].

/// Whether an ARN names one of the five root-task policies (never attachable; spec 05 §5.1).
pub fn is_task_policy(arn: &str) -> bool {
    rootward_policy::managed::task_policy(arn).is_some()
}
