package main

import (
	"encoding/json"
	"fmt"
)

type Item struct {
	Name  string   `json:"name"`
	Price float64  `json:"price"`
	Tags  []string `json:"tags,omitempty"`
}

func main() {
	b, err := json.Marshal(Item{Name: "pen", Price: 1.5})
	fmt.Println(string(b), err)
	var it Item
	err = json.Unmarshal([]byte(`{"name":"cup","price":3,"tags":["a","b"]}`), &it)
	fmt.Println(it.Name, it.Price, it.Tags, err)
	var anyv map[string]any
	json.Unmarshal([]byte(`{"x":1,"y":[true,null]}`), &anyv)
	fmt.Println(anyv["x"], anyv["y"])
}
