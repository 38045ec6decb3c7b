

//Who interface
contract Who {
    //WhoAreYou get user name
    WhoAreYou() -> ([test]string /*user name*/,int)
}
