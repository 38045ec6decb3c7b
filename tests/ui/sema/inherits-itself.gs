contract Narcissus(Narcissus) { Look(); }
