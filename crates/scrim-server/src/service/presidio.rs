//! Presidio's calls behind the gateway (`crate::presidio`): who may make them and their audit
//! entries. The entry names the caller, the action (`text.analyze`, `text.anonymize`,
//! `text.deanonymize`) and the decision; never the text, its findings or the request's
//! correlation id.

use super::{Audited, Gateway};
use crate::authz::{Action, Resource};
use crate::error::Result;
use crate::presidio::Call;

impl Gateway {
    /// Authenticate the caller of a Presidio call, ask Cedar, and write the allow entry (a
    /// deny is audited and answered 403, no credential 401).
    pub(crate) async fn presidio_call(
        &self,
        token: Option<&str>,
        call: Call,
    ) -> Result<Audited<()>> {
        let action = match call {
            Call::Analyze => Action::TextAnalyze,
            Call::Anonymize => Action::TextAnonymize,
            Call::Deanonymize => Action::TextDeanonymize,
        };
        let who = self.who(token, action).await?;
        let allowed = self
            .authorize(&who, action, Resource::Gateway, None)
            .await?;
        allowed.audit(self, None, vec![]).await
    }
}
