struct Tabs {
	X	int32;	// tab before
	/* a block
	   comment indented with tabs
	 */
	Y int32;
}
		/* moved
		   left */
contract K {
        /**
         * Javadoc style.
         */
        M();
}
