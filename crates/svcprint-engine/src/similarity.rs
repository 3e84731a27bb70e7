//! Similarity of fingerprints (method.md M7). For now only the choice of measure;
//! the measures themselves come with the exporter (M8).

use serde::{Deserialize, Serialize};

/// method.md M7 \[similarity\]: weighted Jaccard (Ruzicka), the default, or cosine.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Similarity {
    /// J(x, y) = sum_s min(x_s, y_s) / sum_s max(x_s, y_s); 1 when both are empty.
    #[default]
    Jaccard,
    /// Cosine of the angle between x and y.
    Cosine,
}
