// Late 2014: `@` annotations, but still the 2014 built-in names.
@AttrUsage(AttrTarget.Method|AttrTarget.EnumVal)
table Profile {}

enum Level { @Profile Low, High }
