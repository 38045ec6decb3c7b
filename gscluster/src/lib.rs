//! gscluster
