package com.gridy.soa;

using gslang.Exception;

// `Package` without `using gslang.Package;` (gschat/gschat's gridy.gs).
@Package(Lang:"golang",Name:"com.gschat",Redirect:"github.com/gschat/gschat/gridy")

@Exception
table NotFound {}
