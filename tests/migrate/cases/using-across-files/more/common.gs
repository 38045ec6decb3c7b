package com.example.more;

// Another `common.gs`: imported under an alias.
table Id { string Value; }
