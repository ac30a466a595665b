/// Sample events in the JSON shapes Lambda delivers, after the examples of AWS's Lambda developer guide and
/// aws-lambda-go's test data (trimmed of fields no type here decodes). Each `…Minimal` sample leaves out what AWS may
/// leave out.
enum EventFixtures {
    static let apiGatewayREST = #"""
        {
          "resource": "/pets/{petId}",
          "path": "/pets/10",
          "httpMethod": "GET",
          "headers": {"Accept": "*/*", "Host": "gy415nuibc.execute-api.us-east-1.amazonaws.com", "Traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"},
          "multiValueHeaders": {"Accept": ["*/*"], "Host": ["gy415nuibc.execute-api.us-east-1.amazonaws.com"]},
          "queryStringParameters": {"name": "me"},
          "multiValueQueryStringParameters": {"name": ["me"]},
          "pathParameters": {"petId": "10"},
          "stageVariables": {"stageVariableName": "stageVariableValue"},
          "requestContext": {
            "accountId": "12345678912", "resourceId": "roq9wj", "path": "/testStage/pets/10", "stage": "testStage",
            "domainName": "gy415nuibc.execute-api.us-east-2.amazonaws.com", "requestId": "deef4878-7910-11e6-8f14-25afc3e9ae33",
            "protocol": "HTTP/1.1", "identity": {"sourceIp": "192.168.196.186", "userAgent": "PostmanRuntime/2.4.5", "user": null},
            "authorizer": {"principalId": "admin", "clientId": 1}, "resourcePath": "/pets/{petId}", "httpMethod": "GET",
            "requestTime": "15/May/2020:06:01:09 +0000", "requestTimeEpoch": 1589522469693, "apiId": "gy415nuibc"
          },
          "body": "{\"a\": 1}",
          "isBase64Encoded": false
        }
        """#

    /// A console test invocation: no headers, no query, no body (API Gateway sends `null`).
    static let apiGatewayRESTMinimal = #"""
        {"resource": "/", "path": "/", "httpMethod": "POST", "headers": null, "multiValueHeaders": null,
         "queryStringParameters": null, "multiValueQueryStringParameters": null, "pathParameters": null,
         "stageVariables": null, "requestContext": {"resourcePath": "/", "httpMethod": "POST"}, "body": null,
         "isBase64Encoded": false}
        """#

    static let functionURL = #"""
        {
          "version": "2.0",
          "routeKey": "$default",
          "rawPath": "/my/path",
          "rawQueryString": "parameter1=value1&parameter1=value2&parameter2=value",
          "cookies": ["cookie1", "cookie2"],
          "headers": {"header1": "value1", "header2": "value1,value2"},
          "queryStringParameters": {"parameter1": "value1,value2", "parameter2": "value"},
          "requestContext": {
            "accountId": "123456789012", "apiId": "<urlid>",
            "authorizer": {"iam": {"accessKey": "AKIA...", "accountId": "111122223333", "callerId": "AIDA...", "userArn": "arn:aws:iam::111122223333:user/example-user", "userId": "AIDA..."}},
            "domainName": "<url-id>.lambda-url.us-west-2.on.aws", "domainPrefix": "<url-id>",
            "http": {"method": "POST", "path": "/my/path", "protocol": "HTTP/1.1", "sourceIp": "123.123.123.123", "userAgent": "agent"},
            "requestId": "id", "routeKey": "$default", "stage": "$default", "time": "12/Mar/2020:19:03:58 +0000", "timeEpoch": 1583348638390
          },
          "body": "Hello from client!",
          "pathParameters": null,
          "isBase64Encoded": false,
          "stageVariables": null
        }
        """#

    static let alb = #"""
        {
          "requestContext": {"elb": {"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/lambda-target/abcdefg"}},
          "httpMethod": "GET",
          "path": "/lambda",
          "queryStringParameters": {"query": "1234ABCD"},
          "headers": {"accept": "*/*", "host": "lambda-alb-123578498.us-east-1.elb.amazonaws.com", "user-agent": "curl/7.54.0",
                      "x-amzn-trace-id": "Root=1-5c536348-3d683b8b04734faae651f476", "x-forwarded-for": "72.12.164.125", "x-forwarded-proto": "http"},
          "body": "",
          "isBase64Encoded": false
        }
        """#

    /// A target group with multi-value headers on: only the `multiValue…` maps.
    static let albMultiValue = #"""
        {
          "requestContext": {"elb": {"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/lambda-target/abcdefgh"}},
          "httpMethod": "GET",
          "path": "/",
          "multiValueQueryStringParameters": {"key": ["hello"]},
          "multiValueHeaders": {"accept": ["*/*"], "Traceparent": ["00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"]},
          "body": "",
          "isBase64Encoded": false
        }
        """#

    static let sqsQueueARN = "arn:aws:sqs:us-west-2:123456789012:orders"

    /// Two messages: the first sent by a traced AWS SDK (`AWSTraceHeader`), the second with a `traceparent` message
    /// attribute; a third carries no context.
    static let sqs = #"""
        {
          "Records": [
            {
              "messageId": "059f36b4-87a3-44ab-83d2-661975830a7d",
              "receiptHandle": "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a...",
              "body": "Test message.",
              "attributes": {
                "ApproximateReceiveCount": "1", "SentTimestamp": "1545082649183", "SenderId": "AIDAIENQZJOLO23YVJ4VO",
                "ApproximateFirstReceiveTimestamp": "1545082649185",
                "AWSTraceHeader": "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
              },
              "messageAttributes": {},
              "md5OfBody": "e4e68fb7bd0e697a0ae8f1bb342846b3",
              "eventSource": "aws:sqs",
              "eventSourceARN": "arn:aws:sqs:us-west-2:123456789012:orders",
              "awsRegion": "us-west-2"
            },
            {
              "messageId": "2e1424d4-f796-459a-8184-9c92662be6da",
              "receiptHandle": "AQEBzWwaftRI0KuVm4tP+/7q1rGgNqicHq...",
              "body": "Test message.",
              "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1545082650636", "SenderId": "AIDAIENQZJOLO23YVJ4VO", "ApproximateFirstReceiveTimestamp": "1545082650649"},
              "messageAttributes": {
                "traceparent": {"stringValue": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "stringListValues": [], "binaryListValues": [], "dataType": "String"},
                "Attribute3": {"binaryValue": "MTEwMA==", "stringListValues": ["abc", "123"], "binaryListValues": ["MA==", "MQ==", "MA=="], "dataType": "Binary"}
              },
              "md5OfMessageAttributes": "582c92c5c5b6ac403040a4f3ab3115c9",
              "md5OfBody": "e4e68fb7bd0e697a0ae8f1bb342846b3",
              "eventSource": "aws:sqs",
              "eventSourceARN": "arn:aws:sqs:us-west-2:123456789012:orders",
              "awsRegion": "us-west-2"
            },
            {
              "messageId": "c80e8021-a70a-42c7-a470-796e1186f753",
              "receiptHandle": "AQEBJQ+/u6NsnT5t8Q/VbVxgdUl4TMKZ5FqhksRdIQvLBhwNvADoBxYSOVeCBXdnS9P+",
              "body": "{\"foo\":\"bar\"}",
              "attributes": {"ApproximateReceiveCount": "3", "SentTimestamp": "1529104986221", "SenderId": "594035263019", "ApproximateFirstReceiveTimestamp": "1529104986230"},
              "messageAttributes": {},
              "md5OfBody": "9bb58f26192e4ba00f01e2e7b136bbd8",
              "eventSource": "aws:sqs",
              "eventSourceARN": "arn:aws:sqs:us-west-2:123456789012:orders",
              "awsRegion": "us-west-2"
            }
          ]
        }
        """#

    /// One message with only the fields AWS always sends.
    static func sqsMinimal(queueARN: String = sqsQueueARN, messageID: String = "m-1") -> String {
        #"""
        {"Records": [{"messageId": "\#(messageID)", "receiptHandle": "r", "body": "", "attributes": {"ApproximateReceiveCount": "1"},
          "md5OfBody": "d41d8cd98f00b204e9800998ecf8427e", "eventSource": "aws:sqs", "eventSourceARN": "\#(queueARN)", "awsRegion": "us-west-2"}]}
        """#
    }

    static let sns = #"""
        {
          "Records": [
            {
              "EventVersion": "1.0",
              "EventSubscriptionArn": "arn:aws:sns:us-east-1:123456789012:sns-lambda:21be56ed-a058-49f5-8c98-aedd2564c486",
              "EventSource": "aws:sns",
              "Sns": {
                "SignatureVersion": "1",
                "Timestamp": "2019-01-02T12:45:07.000Z",
                "Signature": "tcc6faL2yUC6dgZdmrwh1Y4cGa/ebXEkAi6RibDsvpi+tE/1+82j...65r==",
                "SigningCertUrl": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-ac565b8b1a6c5d002d285f9598aa1d9b.pem",
                "MessageId": "95df01b4-ee98-5cb9-9903-4c221d41eb5e",
                "Message": "Hello from SNS!",
                "MessageAttributes": {"Test": {"Type": "String", "Value": "TestString"}, "TestBinary": {"Type": "Binary", "Value": "TestBinary"}},
                "Type": "Notification",
                "UnsubscribeUrl": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&amp;SubscriptionArn=arn:aws:sns:us-east-1:123456789012:test-lambda:21be56ed-a058-49f5-8c98-aedd2564c486",
                "TopicArn": "arn:aws:sns:us-east-1:123456789012:sns-lambda",
                "Subject": "TestInvoke"
              }
            }
          ]
        }
        """#

    /// No subject (SNS sends `null`), no message attributes.
    static let snsMinimal = #"""
        {"Records": [{"EventVersion": "1.0", "EventSubscriptionArn": "arn:aws:sns:us-east-1:123456789012:t:1", "EventSource": "aws:sns",
          "Sns": {"Type": "Notification", "MessageId": "m", "TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Subject": null,
                  "Message": "{}", "Timestamp": "2019-01-02T12:45:07.000Z"}}]}
        """#

    static let eventBridgeScheduled = #"""
        {
          "version": "0",
          "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
          "detail-type": "Scheduled Event",
          "source": "aws.events",
          "account": "123456789012",
          "time": "2015-10-08T16:53:06Z",
          "region": "us-east-1",
          "resources": ["arn:aws:events:us-east-1:123456789012:rule/my-scheduled-rule"],
          "detail": {}
        }
        """#

    static let eventBridgeCustom = #"""
        {"version": "0", "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718", "detail-type": "OrderPlaced", "source": "com.example.orders",
         "account": "111122223333", "time": "2017-12-22T18:43:48Z", "region": "us-west-1", "resources": [],
         "detail": {"orderId": "o-17", "total": 42}}
        """#

    static let s3Put = #"""
        {
          "Records": [
            {
              "eventVersion": "2.1",
              "eventSource": "aws:s3",
              "awsRegion": "us-east-1",
              "eventTime": "2019-09-03T19:37:27.192Z",
              "eventName": "ObjectCreated:Put",
              "userIdentity": {"principalId": "AWS:AIDAINPONIXQXHT3IKHL2"},
              "requestParameters": {"sourceIPAddress": "205.255.255.255"},
              "responseElements": {"x-amz-request-id": "D82B88E5F771F645", "x-amz-id-2": "vlR7PnpV2Ce81l0PRw6jlUpck7Jo5ZsQjryTjKlc5aLWGVHPZLj5NeC6qMa0emYBDXOo6QBU0Wo="},
              "s3": {
                "s3SchemaVersion": "1.0",
                "configurationId": "828aa6fc-f7b5-4305-8584-487c791949c1",
                "bucket": {"name": "DOC-EXAMPLE-BUCKET", "ownerIdentity": {"principalId": "A3I5XTEXAMAI3E"}, "arn": "arn:aws:s3:::lambda-artifacts-deafc19498e3f2df"},
                "object": {"key": "b21b84d653bb07b05b1e6b33684dc11b", "size": 1305107, "eTag": "b21b84d653bb07b05b1e6b33684dc11b", "sequencer": "0C0F6F405D6ED209E1"}
              }
            }
          ]
        }
        """#

    /// A removal: no size, no eTag.
    static let s3Delete = #"""
        {"Records": [{"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1", "eventTime": "2019-09-03T19:37:27.192Z",
          "eventName": "ObjectRemoved:Delete", "userIdentity": {"principalId": "AWS:AIDAINPONIXQXHT3IKHL2"},
          "requestParameters": {"sourceIPAddress": "205.255.255.255"}, "responseElements": {"x-amz-request-id": "D82B88E5F771F645", "x-amz-id-2": "v"},
          "s3": {"s3SchemaVersion": "1.0", "configurationId": "c", "bucket": {"name": "b", "ownerIdentity": {"principalId": "A"}, "arn": "arn:aws:s3:::b"},
                 "object": {"key": "Happy%20Face.jpg", "sequencer": "0A1B2C3D4E5F678901"}}}]}
        """#
}
