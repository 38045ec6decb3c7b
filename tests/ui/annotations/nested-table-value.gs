enum TimeUnit { Second, Minute }
table Duration { Amount uint32; Unit TimeUnit; }
table Timeout { After Duration; Retries byte; }

@Usage(Target.Method)
table Retry { Policy Timeout; }

contract Chat {
    @Retry(Timeout(Duration(5, TimeUnit.Second), 3))
    Fine();
    @Retry(Timeout(Duration(-5, TimeUnit.Hour), 300))
    Bad();
    @Retry(Timeout(TimeUnit.Second))
    Wrong();
    @Retry(Duration(5))
    Mismatch();
}
