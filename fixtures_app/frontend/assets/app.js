console.log("frontend app");
